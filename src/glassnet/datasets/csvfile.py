"""CSV files: a header row, feature columns of numbers, a target column of numbers or labels.

A file is read once, whole, into memory (a pipe, a FIFO or standard input, ``-``, can be
read only once, and a file that changes between two reads would give rows that do not
match), decoded as UTF-8, checked row by row with Python's csv module, and parsed into
arrays by NumPy's C reader. What the rules are:

- the delimiter is a comma, a semicolon or a tab, found from the first rows (or given):
  the one that splits the header into the most columns and every sampled row into as
  many; ``CSVData.delimiter`` says which was used;
- every row has as many cells as the header; a quote that never closes is an error naming
  the row where it opened;
- feature cells are numbers as NumPy's reader reads them ("1_000" is not one), finite;
- the target is numbers only when every cell is a number that float64 holds exactly
  (integers up to 2^53); otherwise its cells are kept exactly as written, as text labels,
  and ``CSVData.target_problem`` says which cell is not a number, for a caller that needs
  numbers (regression);
- errors name the file, the row (its line in the file, 1 = the header) and the column.

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
import io
import os
import re
import stat
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import DTypeLike

__all__ = [
    "DELIMITERS",
    "MAX_CSV_BYTES",
    "STANDARD_INPUT",
    "CSVData",
    "DataError",
    "check_delimiter",
    "detect_delimiter",
    "load_csv",
]

STANDARD_INPUT = "-"
DELIMITERS = (",", ";", "\t")  # the ones detect_delimiter chooses from, in order of preference
SAMPLE_LINES = 50  # the lines detect_delimiter reads: the header and the first data rows
MAX_CSV_BYTES = 2 * 2**30  # read whole into memory: a bound, so /dev/zero is refused
LARGEST_EXACT_INTEGER = 2**53  # float64 holds every integer up to this, not all beyond


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

    ``columns`` lists every column of the file's header in file order, read or not;
    ``lines`` the file line each data row starts on; ``target_problem`` is None when the
    target column holds numbers, else why it does not (its first cell that is not a
    number float64 holds exactly, by row and column); ``delimiter`` is the character
    that separated the cells, given or detected.

    Example:
        >>> import os, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "gate.csv")
        ...     _ = pathlib.Path(path).write_text("x1,x2,label\\n0,0,0\\n1,1,1\\n")
        ...     data = load_csv(path, target="label")
        >>> data.X.tolist(), data.y.tolist(), data.feature_names, data.target_name
        ([[0.0, 0.0], [1.0, 1.0]], [0, 1], ['x1', 'x2'], 'label')
        >>> data.delimiter
        ','
    """

    X: np.ndarray
    y: np.ndarray | None
    feature_names: list[str]
    target_name: str | None
    path: str
    columns: list[str] = field(default_factory=list)
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    target_problem: str | None = None
    delimiter: str = ","

    def line(self, row: int) -> int:
        """The line of the file (1 = the header) that data row ``row`` (0 = the first) is on.

        Blank lines hold no data row, so after one the line is more than ``row + 2``.

        Example:
            >>> load_csv("iris.csv", target="species").line(0)  # doctest: +SKIP
            2
        """
        return int(self.lines[row])


_BAD_CELL = re.compile(r"could not convert string '(.*)' to \w+ at row (\d+), column (\d+)")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _read_source(path: str) -> str:
    """The whole text of the file (or of standard input, ``-``), read once and decoded."""
    if path == STANDARD_INPUT:
        raw = sys.stdin.buffer.read(MAX_CSV_BYTES + 1)
    else:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise DataError(f"{path}: no such file") from None
        except OSError as error:
            raise DataError(f"{path}: cannot be read ({error.strerror or error})") from None
        if stat.S_ISDIR(mode):
            raise DataError(f"{path}: is a folder, not a CSV file")
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise DataError(f"{path}: not a regular file or a pipe; give a CSV file")
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_CSV_BYTES + 1)
        except OSError as error:
            raise DataError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_CSV_BYTES:
        raise DataError(f"{path}: larger than {MAX_CSV_BYTES // 2**30} GiB; split the file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DataError(
            f"{path}: not UTF-8 text: byte 0x{raw[error.start]:02x} on line {line} is not "
            "UTF-8 (save the file as UTF-8; in a spreadsheet, 'CSV UTF-8')"
        ) from None


def check_delimiter(delimiter: str) -> str:
    """``delimiter`` if it can separate cells of numbers: one character, not a quote, a line
    break, a letter, a digit or a character of a number (``.``, ``+``, ``-``, ``_``).

    Example:
        >>> check_delimiter(";")
        ';'
        >>> check_delimiter(".")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: delimiter must be one character that cannot be part of a number ..., got '.'
    """
    if (
        not isinstance(delimiter, str)
        or len(delimiter) != 1
        or delimiter.isalnum()
        or delimiter in "\"'.+-_\r\n"
    ):
        raise ValueError(
            "delimiter must be one character that cannot be part of a number or a quote "
            f"(such as ',', ';' or a tab), got {delimiter!r}"
        )
    return delimiter


def _sampled_rows(text: str, delimiter: str) -> list[list[str]]:
    """The first SAMPLE_LINES lines of ``text`` split into cells by ``delimiter``, blank
    rows left out (and the last row when the sample may cut it short)."""
    end = 0
    for _ in range(SAMPLE_LINES):
        end = text.find("\n", end) + 1
        if end == 0:
            end = len(text)
            break
    reader = csv.reader(io.StringIO(text[:end], newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader if row]
    except csv.Error:  # a broken row: the full read names it
        return []
    # A quoted cell may go on past the sample: its row may be cut short here.
    return rows[:-1] if end < len(text) and len(rows) > 1 else rows


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV text: a comma, a semicolon or a tab (DELIMITERS).

    Each candidate splits the header and the first data rows (SAMPLE_LINES lines in all).
    The one chosen splits the header into the most columns, more than one, and every
    sampled row into as many; on a tie the earlier in DELIMITERS wins. When none gives
    every row as many cells as the header, the one that splits the header most is chosen,
    so that the reader then names the row that differs; a file of one column is a comma's.
    (csv.Sniffer counts characters instead, and takes the commas of decimal numbers such
    as 1,5 in a semicolon-separated file for delimiters.)

    Example:
        >>> detect_delimiter("a;b;y\\n1,5;2;0\\n"), detect_delimiter("a\\tb\\n1\\t2\\n")
        (';', '\\t')
        >>> detect_delimiter("x,y\\n1,0\\n"), detect_delimiter("x\\n1\\n")
        (',', ',')
    """
    consistent, widest = (",", 1), (",", 1)
    for candidate in DELIMITERS:
        rows = _sampled_rows(text, candidate)
        if not rows:
            continue
        width = len(rows[0])
        if width > widest[1]:
            widest = (candidate, width)
        if width > consistent[1] and all(len(row) == width for row in rows[1:]):
            consistent = (candidate, width)
    return consistent[0] if consistent[1] > 1 else widest[0]


def _read_header(path: str, text: str, delimiter: str) -> tuple[list[str], int, np.ndarray]:
    """(names, header_lines, lines): the header's column names, how many file lines the
    header takes, and the line each data row starts on, after checking that every row has
    as many cells as the header."""
    rows = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    end = 0  # the last line read: a quote may open in the header itself
    try:
        header = next(rows, None)
        if not header or not any(cell.strip() for cell in header):
            raise DataError(f"{path}: the file is empty; expected a header row and data rows")
        header_lines = end = rows.line_num
        lines = []
        # Streams the rows one at a time: nothing but each row's first line is kept.
        for row in rows:
            # A row is named by the file line it starts on (a quoted cell may span lines).
            start, end = end + 1, rows.line_num
            if not row:
                continue
            lines.append(start)
            if len(row) != len(header):
                raise DataError(
                    f"{path}: row {start} has {len(row)} cells but the header has "
                    f"{len(header)} columns"
                )
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise DataError(
                f"{path}: row {end + 1}: a quote opens there and never closes "
                '(a cell that holds a quote is written "like ""this""")'
            ) from None
        raise DataError(f"{path}: row {end + 1}: not a readable CSV row ({error})") from None
    if not lines:
        raise DataError(f"{path}: only a header row, no data rows")
    return _column_names(path, header), header_lines, np.array(lines, dtype=np.int64)


def _column_names(path: str, header: list[str]) -> list[str]:
    names = [cell.strip() for cell in header]
    if "" in names:
        raise DataError(f"{path}: row 1 (header): column {names.index('') + 1} has no name")
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise DataError(f"{path}: row 1 (header): column names repeat: {repeated[:10]}")
    return names


def load_csv(
    path: str | os.PathLike[str],
    target: str | None = None,
    dtype: DTypeLike = np.float64,
    *,
    features: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    delimiter: str | None = None,
    target_text: bool = False,
) -> CSVData:
    """Read a CSV with a header row; ``target`` names the column to predict.

    Feature columns must be numbers; the target column may hold numbers or text labels.
    ``features`` names the feature columns to read, in that order, wherever they stand in
    the file (a model's columns are matched by name); other columns are left unread.
    By default every column but the target, and but those ``ignore`` names (present or
    not), is a feature. ``path`` may be ``-`` for standard input. ``delimiter`` separates
    the cells; None finds it (a comma, a semicolon or a tab: ``detect_delimiter``), and
    ``CSVData.delimiter`` says which it was. ``target_text`` keeps the target's cells as
    written, text labels, even when every one is a number: the labels of a model trained
    on text ("0", "1", "cat") are read so from a file that happens to hold only "0" and "1".
    The file is read once and parsed by NumPy's C
    reader straight into arrays, never into a Python list of cells. Errors name the file,
    the row (its line in the file, 1 = the header, blank lines counted) and the column.

    Example:
        >>> import os, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "gate.csv")
        ...     _ = pathlib.Path(path).write_text("x1;x2;label\\n0;0;0\\n1;1;1\\n")
        ...     data = load_csv(path, target="label")
        ...     text = load_csv(path, target="label", target_text=True)
        >>> data.delimiter, data.feature_names, data.X.tolist()
        (';', ['x1', 'x2'], [[0.0, 0.0], [1.0, 1.0]])
        >>> data.y.tolist(), text.y.tolist()
        ([0, 1], ['0', '1'])
    """
    if delimiter is not None:
        check_delimiter(delimiter)
    path = os.fspath(path)
    text = _read_source(path)
    shown = "standard input" if path == STANDARD_INPUT else path
    delimiter = detect_delimiter(text) if delimiter is None else delimiter
    names, header_lines, lines = _read_header(shown, text, delimiter)
    feature_index = _feature_columns(shown, names, target, features, set(ignore))
    read = _Reading(text, header_lines, delimiter)
    X = _features(shown, read, lines, names, feature_index, dtype)
    y, problem = None, None
    if target is not None:
        cells = read.columns([names.index(target)], str)[:, 0]
        y, problem = _parse_target(shown, target, np.char.strip(cells), lines, target_text)
    return CSVData(X, y, [names[i] for i in feature_index], target, shown, names, lines, problem,
                   delimiter)  # fmt: skip


def _feature_columns(path, names, target, features, ignore: set[str]) -> list[int]:
    position = {name: index for index, name in enumerate(names)}  # linear in the columns
    if target is not None and target not in position:
        shown = names if len(names) <= 20 else [*names[:20], "..."]
        raise DataError(
            f"{path}: no column named {target!r}; the columns are {shown}" + _one_column(names)
        )
    if features is not None:
        if isinstance(features, str):
            raise TypeError(f"features is a list of column names, got the text {features!r}; "
                            f"for one column write [{features!r}]")  # fmt: skip
        repeated = sorted(name for name, count in Counter(features).items() if count > 1)
        if repeated:
            raise DataError(f"{path}: features names a column twice: {repeated[:10]}")
        if target is not None and target in features:
            raise DataError(f"{path}: features names the target {target!r} too; a column is a "
                            "feature or the target, not both")  # fmt: skip
        missing = [name for name in features if name not in position]
        if missing:
            shown = names if len(names) <= 20 else [*names[:20], "..."]
            raise DataError(
                f"{path}: no column named {missing[0]!r} ({len(missing)} of the expected "
                f"feature columns are missing: {missing[:10]}); the columns are {shown}"
            )
        feature_index = [position[name] for name in features]
    else:
        feature_index = [i for i, name in enumerate(names) if name != target and name not in ignore]
    if not feature_index:
        besides = target if target is not None else ", ".join(sorted(ignore))
        raise DataError(f"{path}: no feature columns besides the target {besides!r}")
    return feature_index


def _one_column(names: list[str]) -> str:
    """What a header of one column whose name holds another delimiter suggests, or ""."""
    held = [d for d in DELIMITERS if len(names) == 1 and d in names[0]]
    if not held:
        return ""
    shown = "tab" if held[0] == "\t" else repr(held[0])
    return f" (one column, whose name holds {shown}: the file may be {shown}-separated)"


def _features(path, read: _Reading, lines, names, feature_index, dtype) -> np.ndarray:
    try:
        X = read.columns(feature_index, dtype)
    except ValueError as error:
        found = _BAD_CELL.search(str(error))
        if not found:
            raise DataError(f"{path}: {error}") from None
        cell, row, column = found.group(1), int(found.group(2)), int(found.group(3))
        what = "the cell is empty" if cell.strip() == "" else f"{cell!r} is not a number"
        if _DECIMAL_COMMA.fullmatch(cell.strip()):
            what += f" (a decimal comma: write {cell.strip().replace(',', '.')})"
        raise DataError(
            f"{path}: row {lines[row]}, column {names[column - 1]!r}: {what}; "
            "feature columns must be numbers"
        ) from None
    if not np.all(np.isfinite(X)):
        row, column = np.argwhere(~np.isfinite(X))[0]
        value = X[row, column]
        # A number too large for the dtype (1e400; 1e39 in float32) reads as inf: say so.
        cell = str(read.columns([feature_index[column]], str)[row, 0]).strip()
        if cell.lower().lstrip("+-") not in ("nan", "inf", "infinity"):
            value = f"{cell} (too large for {X.dtype.name}: it reads as {value})"
        raise DataError(
            f"{path}: row {lines[row]}, column {names[feature_index[column]]!r}: "
            f"{value} is not a finite number"
        )
    return X


@dataclass
class _Reading:
    """The text of a file whose header has been read, and its delimiter."""

    text: str
    header_lines: int
    delimiter: str

    def columns(self, columns: list[int], dtype) -> np.ndarray:
        """The data rows' cells of ``columns`` as a 2-D array, blank lines skipped."""
        data = io.StringIO(self.text, newline="")
        for _ in range(self.header_lines):  # the header, however many lines it spans
            data.readline()
        with warnings.catch_warnings():
            # NumPy warns that a blank line is not counted as a row; skipping it is intended.
            warnings.filterwarnings("ignore", r"Input line \d+ contained no data", UserWarning)
            return np.loadtxt(data, usecols=columns, dtype=dtype, delimiter=self.delimiter,
                              ndmin=2, comments=None, quotechar='"')  # fmt: skip


def _parse_target(path: str, target: str, cells: np.ndarray, lines: np.ndarray, text: bool):
    """(y, problem): numbers when every cell is one that float64 holds exactly (integers
    when all are whole), else the cells as written, with the first reason they are not;
    with ``text``, the cells as written in any case."""
    if np.any(cells == ""):
        row = int(np.argmax(cells == ""))
        raise DataError(f"{path}: row {lines[row]}, column {target!r}: the target is empty")
    where = f"{path}: row {{}}, column {target!r}: "
    if text:
        return cells, f"{path}: column {target!r}: its labels were read as text, as asked"
    broken = np.flatnonzero((np.char.find(cells, "\n") >= 0) | (np.char.find(cells, "\r") >= 0))
    if len(broken):  # a quoted cell over several lines is a label, never a number
        row = int(broken[0])
        return cells, where.format(lines[row]) + f"{cells[row].item()!r} is not a number"
    try:  # the features' own reader: one rule for what a number is
        values = np.loadtxt(io.StringIO("\n".join(cells.tolist())), dtype=np.float64, ndmin=1,
                            delimiter="\x00", comments=None)  # fmt: skip
    except ValueError as error:
        found = _BAD_CELL.search(str(error))
        row = int(found.group(2)) if found else 0
        return cells, where.format(lines[row]) + f"{cells[row].item()!r} is not a number"
    if not np.all(np.isfinite(values)):
        row = int(np.argmax(~np.isfinite(values)))
        raise DataError(where.format(lines[row]) + f"{cells[row].item()!r} is not a finite number")
    large = np.flatnonzero(np.abs(values) >= LARGEST_EXACT_INTEGER)  # 2^53 + 1 rounds to 2^53
    for index in large.tolist():  # a whole number this large may not be the one written
        if _integer_text(cells[index]) and int(cells[index]) != int(values[index]):
            return cells, where.format(lines[index]) + (
                f"{cells[index].item()} is an integer beyond 2^53 that float64 cannot hold "
                "exactly; kept as a text label"
            )
    whole = np.all(values == np.round(values)) and not len(large)
    return (values.astype(np.int64) if whole else values), None


def _integer_text(cell) -> bool:
    text = str(cell).lstrip("+-")
    return text.isdigit()
