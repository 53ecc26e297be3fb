"""CSV files: a header row, feature columns of numbers, a target column of numbers or labels.

Example:
    >>> import os, pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "gate.csv")
    ...     _ = pathlib.Path(path).write_text("x1,x2,label\\n0,0,0\\n1,1,1\\n")
    ...     load_csv(path, target="label").y.tolist()
    [0, 1]
"""

from __future__ import annotations

import csv
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CSVData", "DataError", "load_csv"]


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
