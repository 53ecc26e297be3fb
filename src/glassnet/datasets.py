"""Data sets: the tutorials' tables, seeded generators, scikit-learn's bundled sets, CSV.

Every generator takes a ``seed`` and draws from its own ``numpy.random.Generator``, so
the same seed gives the same points on every machine.

Example:
    >>> X, y = logic_gate("XOR")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
"""

from __future__ import annotations

import csv
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from glassnet.engine.arrays import seeded_generator

__all__ = [
    "GATES",
    "logic_gate",
    "seven_records",
    "tutorial_002_weights",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_blobs",
    "make_sine",
    "load_iris",
    "load_digits",
    "CSVData",
    "load_csv",
    "DataError",
]

_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)

GATES: dict[str, list[int]] = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}


class DataError(ValueError):
    """Bad input data; the message names the file, row and column where it applies.

    Example:
        >>> import os, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "gate.csv")
        ...     _ = pathlib.Path(path).write_text("x1,x2,label\\n0,zero,0\\n")
        ...     try:
        ...         load_csv(path, target="label")
        ...     except DataError as error:
        ...         print(str(error).removeprefix(folder + os.sep))
        gate.csv: row 2, column 'x2': 'zero' is not a number; feature columns must be numbers
    """


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: AND, OR, NAND, NOR or XOR.

    Example:
        >>> logic_gate("and")[1].tolist()
        [0.0, 0.0, 0.0, 1.0]
    """
    key = name.upper()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}; expected one of {', '.join(GATES)}")
    return _INPUTS.copy(), np.array(GATES[key], dtype=np.float64)


def seven_records() -> tuple[np.ndarray, np.ndarray]:
    """Tutorial 001's table: three binary features per person and a binary target.

    Example:
        >>> X, y = seven_records(); X.shape, y.tolist()
        ((7, 3), [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    """
    X = np.array(
        [[0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0], [1, 1, 1], [0, 1, 1], [0, 1, 0]],
        dtype=np.float64,
    )
    return X, np.array([1, 0, 0, 1, 1, 0, 1], dtype=np.float64)


def tutorial_002_weights(seed: int = 42) -> np.ndarray:
    """Tutorial 002's starting weights: NumPy's legacy ``RandomState(seed).randn(2)``.

    The tutorial seeds the global generator with 42 and draws two normal numbers; they are
    drawn here from a private legacy generator, which gives the same two numbers without
    touching ``np.random``. Every place that starts the tutorial's perceptron takes them
    from here.

    Example:
        >>> tutorial_002_weights().round(8).tolist()
        [0.49671415, -0.1382643]
    """
    return np.random.RandomState(seed).randn(2)


def _check_size(n_samples: int, noise: float) -> None:
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer of at least 2, got {n_samples!r}")
    if not (isinstance(noise, int | float) and noise >= 0):
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")


def make_moons(n_samples: int = 200, noise: float = 0.1, seed: int | None = None):
    """Two interleaving half circles, classes 0 and 1.

    Example:
        >>> X, y = make_moons(100, seed=0); X.shape, sorted(set(y.tolist()))
        ((100, 2), [0, 1])
    """
    _check_size(n_samples, noise)
    rng = seeded_generator(seed)
    n_top = n_samples // 2
    angle_top = np.linspace(0, np.pi, n_top)
    angle_bottom = np.linspace(0, np.pi, n_samples - n_top)
    X = np.vstack([
        np.column_stack([np.cos(angle_top), np.sin(angle_top)]),
        np.column_stack([1 - np.cos(angle_bottom), 0.5 - np.sin(angle_bottom)]),
    ])  # fmt: skip
    y = np.repeat([0, 1], [n_top, n_samples - n_top])
    X += rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5,
                 seed: int | None = None):  # fmt: skip
    """A small circle (class 1) inside a large one (class 0).

    Example:
        >>> make_circles(50, seed=0)[0].shape
        (50, 2)
    """
    _check_size(n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = seeded_generator(seed)
    n_outer = n_samples // 2
    angles = np.concatenate([
        np.linspace(0, 2 * np.pi, n_outer, endpoint=False),
        np.linspace(0, 2 * np.pi, n_samples - n_outer, endpoint=False),
    ])  # fmt: skip
    radius = np.repeat([1.0, factor], [n_outer, n_samples - n_outer])
    X = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    X += rng.normal(scale=noise, size=X.shape)
    y = np.repeat([0, 1], [n_outer, n_samples - n_outer])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_spirals(n_samples: int = 1000, noise: float = 0.1, n_classes: int = 2,
                 turns: float = 1.75, seed: int | None = None):  # fmt: skip
    """Interleaved spiral arms, one per class (the classic hard case for a linear model).

    Each arm winds ``turns`` times out to radius 5, as in TensorFlow Playground, so two
    neighbouring arms of a 2-class spiral lie 5 / (2 turns) ~ 1.4 apart; ``noise`` is the
    standard deviation of the Gaussian noise added to every coordinate, in those units.

    Example:
        >>> X, y = make_spirals(300, n_classes=3, seed=0); sorted(set(y.tolist()))
        [0, 1, 2]
    """
    _check_size(n_samples, noise)
    if not isinstance(n_classes, int) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer of at least 2, got {n_classes!r}")
    rng = seeded_generator(seed)
    y = np.arange(n_samples) % n_classes
    t = rng.uniform(0.0, 1.0, n_samples)
    radius = 5 * t
    angle = t * turns * 2 * np.pi + y * (2 * np.pi / n_classes)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    X += rng.normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(n_samples: int = 300, centers: int = 3, spread: float = 0.6,
               n_features: int = 2, seed: int | None = None):  # fmt: skip
    """Gaussian clusters around random centres, one class per cluster.

    Example:
        >>> make_blobs(90, centers=3, seed=0)[1].tolist().count(2)
        30
    """
    _check_size(n_samples, spread)
    if not isinstance(centers, int) or centers < 1:
        raise ValueError(f"centers must be a positive integer, got {centers!r}")
    rng = seeded_generator(seed)
    middle = rng.uniform(-4, 4, size=(centers, n_features))
    y = np.arange(n_samples) % centers
    X = middle[y] + rng.normal(scale=spread, size=(n_samples, n_features))
    return X, y


def make_sine(n_samples: int = 400, noise: float = 0.05, seed: int | None = None):
    """Regression: y = sin(x) + N(0, noise^2) for x in [-pi, pi]; X has shape (n, 1).

    The noise caps the best possible R^2 at about 1 - 2 noise^2 (var sin = 1/2): 0.995
    at the default 0.05, 0.98 at 0.1.

    Example:
        >>> X, y = make_sine(10, seed=0); X.shape, y.shape
        ((10, 1), (10,))
    """
    _check_size(n_samples, noise)
    rng = seeded_generator(seed)
    x = rng.uniform(-np.pi, np.pi, n_samples)
    return x.reshape(-1, 1), np.sin(x) + rng.normal(scale=noise, size=n_samples)


def _sklearn_datasets():
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(
            "this data set ships with scikit-learn: pip install 'glassnet[sklearn]'"
        ) from None
    return datasets


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled iris: 150 flowers, 4 features, 3 classes (needs the extra).

    Example:
        >>> load_iris()[0].shape  # doctest: +SKIP
        (150, 4)
    """
    data = _sklearn_datasets().load_iris()
    return data.data.astype(np.float64), data.target


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits: 1,797 images, 64 features, 10 classes.

    Example:
        >>> load_digits()[0].shape  # doctest: +SKIP
        (1797, 64)
    """
    data = _sklearn_datasets().load_digits()
    return data.data.astype(np.float64), data.target


@dataclass
class CSVData:
    """A CSV file read for training: features, target, and the column names.

    ``columns`` lists every column of the file's header in file order, read or not.

    Example:
        >>> import os, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "gate.csv")
        ...     _ = pathlib.Path(path).write_text("x1,x2,label\\n0,0,0\\n1,1,1\\n")
        ...     data = load_csv(path, target="label")
        >>> data.X.tolist(), data.y.tolist(), data.feature_names, data.target_name
        ([[0.0, 0.0], [1.0, 1.0]], [0, 1], ['x1', 'x2'], 'label')
    """

    X: np.ndarray
    y: np.ndarray | None
    feature_names: list[str]
    target_name: str | None
    path: str
    columns: list[str] = field(default_factory=list)

    def line(self, row: int) -> int:
        """The line of the file (1 = the header) that data row ``row`` (0 = the first) is on.

        Blank lines hold no data row, so after one the line is more than ``row + 2``.

        Example:
            >>> load_csv("iris.csv", target="species").line(0)  # doctest: +SKIP
            2
        """
        return _line_of(self.path, row)


def _line_of(path: str, row: int) -> int:
    """The file line where data row ``row`` (0 = the first) starts, reading the file again.

    Only error messages need it, so the loader keeps no table of line numbers.
    """
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = csv.reader(handle)
        next(rows, None)
        end = rows.line_num
        for cells in rows:
            start, end = end + 1, rows.line_num
            if cells:
                if row == 0:
                    return start
                row -= 1
    raise ValueError(f"{path} has no data row {row}")


_BAD_CELL = re.compile(r"could not convert string '(.*)' to \w+ at row (\d+), column (\d+)")


def _read_header(path: str) -> list[str]:
    """The header's column names, after checking that every row has as many cells."""
    if not os.path.exists(path):
        raise DataError(f"{path}: no such file")
    if os.path.isdir(path):
        raise DataError(f"{path}: is a folder, not a CSV file")
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = csv.reader(handle)
            header = next(rows, None)
            if not header or not any(cell.strip() for cell in header):
                raise DataError(f"{path}: the file is empty; expected a header row and data rows")
            count = 0
            end = rows.line_num
            # Streams the rows one at a time: nothing but the count is kept.
            for row in rows:
                # A row is named by the file line it starts on (a quoted cell may span lines).
                start, end = end + 1, rows.line_num
                if not row:
                    continue
                count += 1
                if len(row) != len(header):
                    raise DataError(
                        f"{path}: row {start} has {len(row)} cells but the header has "
                        f"{len(header)} columns"
                    )
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text CSV file (it is not UTF-8)") from None
    except csv.Error as error:
        raise DataError(f"{path}: not a readable CSV file ({error})") from None
    if count == 0:
        raise DataError(f"{path}: only a header row, no data rows")
    names = [cell.strip() for cell in header]
    if "" in names:
        raise DataError(f"{path}: row 1 (header): column {names.index('') + 1} has no name")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise DataError(f"{path}: row 1 (header): column names repeat: {duplicates}")
    return names


def load_csv(path: str | os.PathLike, target: str | None = None, dtype=np.float64, *,
             features: Sequence[str] | None = None) -> CSVData:  # fmt: skip
    """Read a CSV with a header row; ``target`` names the column to predict.

    Feature columns must be numbers; the target column may hold numbers or text labels.
    ``features`` names the feature columns to read, in that order, wherever they stand in
    the file (a model's columns are matched by name); other columns are left unread.
    By default every column but the target is a feature.
    The file is parsed by NumPy's C reader straight into arrays, never into a Python list
    of cells. Errors name the file, the row (its line in the file, 1 = the header, blank
    lines counted) and the column.

    Example:
        >>> data = load_csv("iris.csv", target="species")  # doctest: +SKIP
    """
    path = os.fspath(path)
    names = _read_header(path)
    if target is not None and target not in names:
        raise DataError(f"{path}: no column named {target!r}; the columns are {names}")
    if features is not None:
        missing = [name for name in features if name not in names]
        if missing:
            raise DataError(
                f"{path}: no column named {missing[0]!r} ({len(missing)} of the expected "
                f"feature columns are missing: {missing[:10]}); the columns are {names}"
            )
        feature_index = [names.index(name) for name in features]
    else:
        feature_index = [i for i, name in enumerate(names) if name != target]
    if not feature_index:
        raise DataError(f"{path}: no feature columns besides the target {target!r}")
    try:
        X = _read_columns(path, feature_index, dtype)
    except ValueError as error:
        found = _BAD_CELL.search(str(error))
        if not found:
            raise DataError(f"{path}: {error}") from None
        cell, row, column = found.group(1), int(found.group(2)), int(found.group(3))
        what = "the cell is empty" if cell.strip() == "" else f"{cell!r} is not a number"
        raise DataError(
            f"{path}: row {_line_of(path, row)}, column {names[column - 1]!r}: {what}; "
            "feature columns must be numbers"
        ) from None
    if not np.all(np.isfinite(X)):
        row, column = np.argwhere(~np.isfinite(X))[0]
        raise DataError(
            f"{path}: row {_line_of(path, int(row))}, column {names[feature_index[column]]!r}: "
            f"{X[row, column]} is not a finite number"
        )
    y = None
    if target is not None:
        column = np.char.strip(_read_columns(path, [names.index(target)], str)[:, 0])
        y = _parse_target(path, target, column)
    return CSVData(X, y, [names[i] for i in feature_index], target, path, names)


def _read_columns(path: str, columns: list[int], dtype) -> np.ndarray:
    """The data rows' cells of ``columns`` as a 2-D array, blank lines skipped."""
    with warnings.catch_warnings():
        # NumPy warns that a blank line is not counted as a row; skipping it is intended.
        warnings.filterwarnings("ignore", r"Input line \d+ contained no data", UserWarning)
        return np.loadtxt(path, usecols=columns, dtype=dtype, delimiter=",", skiprows=1,
                          ndmin=2, encoding="utf-8-sig", comments=None, quotechar='"')  # fmt: skip


def _parse_target(path: str, target: str, column: np.ndarray) -> np.ndarray:
    """Numbers when every cell is one (integers when all are whole), else text labels."""
    if np.any(column == ""):
        row = int(np.argmax(column == ""))
        raise DataError(
            f"{path}: row {_line_of(path, row)}, column {target!r}: the target is empty"
        )
    try:
        values = column.astype(np.float64)
    except ValueError:
        return column
    if not np.all(np.isfinite(values)):
        row = int(np.argmax(~np.isfinite(values)))
        raise DataError(
            f"{path}: row {_line_of(path, row)}, column {target!r}: {column[row].item()!r} is "
            "not a finite number"
        )
    return values.astype(np.int64) if np.all(values == np.round(values)) else values
