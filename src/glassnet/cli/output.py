r"""What the commands print: JSON for programs, aligned tables of metric values for people.

Text from a file (feature names, labels, anything a model file keeps) may hold control
characters: an ESC sequence would reach the terminal and act there. Everything a command
prints goes through ``EscapedOutput``, which writes such characters as escapes (``\x1b``)
and names standard output when it cannot be written (a full disk, a closed descriptor).

Example:
    >>> print(metrics_table({"training": {"loss": 0.25, "accuracy": 1.0}}))
              loss  accuracy
    training  0.25         1
    >>> printable("red\x1b[2Jgreen")
    'red\\x1b[2Jgreen'
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any, TextIO

import numpy as np

from glassnet.text import table

__all__ = ["EscapedOutput", "finite_values", "metrics_table", "print_json", "printable"]

# C0 and C1 control characters but tab and newline, and the Unicode marks that reorder or
# hide text (bidirectional overrides, line and paragraph separators).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` with control characters (but tab and newline) written as escapes.

    Example:
        >>> printable("a\tb\x07c\u202ed")
        'a\tb\\x07c\\u202ed'
    """
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


class EscapedOutput:
    r"""A text stream in front of another: control characters written as escapes, and an
    OSError of the stream raised again as one line naming standard output.

    ``failed`` is True once a write or flush failed (the command then stops writing).

    Example:
        >>> import io
        >>> stream = io.StringIO()
        >>> _ = EscapedOutput(stream).write("label \x1b[31mred\n")
        >>> stream.getvalue()
        'label \\x1b[31mred\n'
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.failed: bool = False

    def write(self, text: str) -> int:
        r"""Write ``text`` with its control characters escaped.

        Example:
            >>> import io
            >>> EscapedOutput(io.StringIO()).write("\x1b")
            4
        """
        return self._guarded(self.stream.write, printable(text))

    def flush(self) -> None:
        """Flush the stream; an OSError names standard output.

        Example:
            >>> import io
            >>> EscapedOutput(io.StringIO()).flush()
        """
        self._guarded(self.stream.flush)

    def _guarded(self, call, *args):
        try:
            return call(*args)
        except BrokenPipeError:  # the reader has gone: main ends quietly
            self.failed = True
            raise
        except OSError as error:
            self.failed = True
            raise OSError(f"cannot write standard output: {error.strerror or error}") from None

    def __getattr__(self, name: str) -> Any:  # buffer, fileno, isatty, encoding, ...
        return getattr(self.stream, name)


def print_json(value: Any) -> None:
    """Print ``value`` as strict JSON (NumPy numbers and arrays as plain ones; no NaN).

    A 2-D array is written one row per line, a row at a time, so a large one (the
    confusion matrix of thousands of classes) never becomes one string in memory.

    Example:
        >>> print_json({"rows": np.int64(4), "weights": np.array([0.5, -1.0]),
        ...             "counts": np.array([[3, 0], [1, 2]])})
        {
          "rows": 4,
          "weights": [
            0.5,
            -1.0
          ],
          "counts": [
            [3, 0],
            [1, 2]
          ]
        }
    """
    _write_json(value, 0, sys.stdout.write)
    sys.stdout.write("\n")


def _write_json(value: Any, level: int, write) -> None:
    """``value`` as json.dumps(indent=2) writes it, 2-D arrays a row per line."""
    if isinstance(value, np.generic):
        value = value.item()
    inner, close = "  " * (level + 1), "  " * level
    if isinstance(value, np.ndarray) and value.ndim == 2 and value.size:
        write("[\n")
        for index, row in enumerate(value):
            text = json.dumps(row.tolist(), allow_nan=False)
            write(inner + text + (",\n" if index < len(value) - 1 else "\n"))
        write(close + "]")
        return
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict) and value:
        write("{\n")
        for index, (key, item) in enumerate(value.items()):
            write(inner + json.dumps(_json_key(key)) + ": ")
            _write_json(item, level + 1, write)
            write(",\n" if index < len(value) - 1 else "\n")
        write(close + "}")
    elif isinstance(value, list | tuple) and value:
        write("[\n")
        for index, item in enumerate(value):
            write(inner)
            _write_json(item, level + 1, write)
            write(",\n" if index < len(value) - 1 else "\n")
        write(close + "]")
    else:
        write(json.dumps(value, allow_nan=False, default=_json_default))


def _json_key(key: Any) -> str:
    """A key as json.dumps writes it: text as it is, other keys as their JSON text."""
    return key if isinstance(key, str) else json.dumps(_json_default(key), allow_nan=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def finite_values(metrics: dict[str, float]) -> dict[str, float | None]:
    """The metric values with None for NaN or infinity, which JSON cannot hold.

    Example:
        >>> finite_values({"loss": float("nan"), "accuracy": 0.5})
        {'loss': None, 'accuracy': 0.5}
    """
    return {name: (value if math.isfinite(value) else None) for name, value in metrics.items()}


def metrics_table(rows: dict[str, dict[str, float | None]]) -> str:
    """Named rows of metric values as an aligned text table; None (or absent) shows as nan.

    Example:
        >>> print(metrics_table({"training": {"loss": 0.5}, "validation": {"loss": None}}))
                    loss
        training     0.5
        validation   nan
    """
    names = list(dict.fromkeys(name for metrics in rows.values() for name in metrics))
    cells = [["", *names]]
    for label, metrics in rows.items():
        values = [metrics.get(name) for name in names]
        cells.append([label, *(f"{math.nan if v is None else v:.6g}" for v in values)])
    return table(cells, align="lr")
