"""Text shared by every room: numbers as the trace prints them, and the one table renderer.

This module imports nothing from glassnet: the engine, the glass box, the command line and
the playground all format numbers and align tables through it.

Example:
    >>> print(table([["layer", "units"], ["1", "4"], ["2", "1"]], align="lr"))
    layer  units
    1          4
    2          1
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import SupportsFloat

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["format_number", "rounded", "table"]


def format_number(
    value: ArrayLike | SupportsFloat,
    digits: int | None = None,
    max_items: int = 16,
    decimals: int | None = None,
) -> str:
    """A scalar or a small array as text: full precision, ``digits`` significant digits, or
    rounded to ``decimals`` decimal places (as the tutorials and textbooks print them).

    Arrays with more than ``max_items`` entries are shown compactly: their shape, then the
    first and last rows and columns with "..." between.

    Example:
        >>> format_number(0.5274723043445937, digits=4)
        '0.5275'
        >>> format_number(0.5274723043445937, decimals=2), format_number(123.456, decimals=1)
        ('0.53', '123.5')
        >>> format_number(np.array([[0.3, 0.5]]))
        '[[0.3, 0.5]]'
        >>> format_number(np.arange(20.0).reshape(4, 5), digits=3)
        '<4 x 5 matrix> [[0, 1, ..., 4], [5, 6, ..., 9], ..., [15, 16, ..., 19]]'
    """
    if digits is not None and (isinstance(digits, bool) or not isinstance(digits, int) or
                               digits < 1):  # fmt: skip
        raise ValueError(f"digits must be a positive integer or None, got {digits!r}")
    _check_decimals(decimals, digits)
    array = np.asarray(value)

    def one(entry: SupportsFloat) -> str:
        x = float(entry)
        if decimals is not None:
            return repr(_round(x, decimals))
        return repr(x) if digits is None else f"{x:.{digits}g}"

    if array.size == 1:  # a 1 x 1 matrix reads as the number it holds
        return one(array.reshape(()))
    if array.size > max_items:
        shape = f"<{' x '.join(map(str, array.shape))} matrix>"
        return shape if array.ndim > 2 else f"{shape} {_elided(array, one)}"
    return _nested(array, one)


def _check_decimals(decimals: object, digits: object = None) -> None:
    if decimals is None:
        return
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0 or None, got {decimals!r}")
    if digits is not None:
        raise ValueError(
            f"give digits (significant digits) or decimals (decimal places), not both: "
            f"got digits={digits!r} and decimals={decimals!r}"
        )


def _round(x: float, decimals: int) -> float:
    # Python's round is correctly rounded; adding 0.0 turns -0.0 into 0.0.
    return round(x, decimals) + 0.0 if np.isfinite(x) else x


def rounded(value: ArrayLike | SupportsFloat, decimals: int | None) -> np.ndarray:
    """``value`` with every entry rounded to ``decimals`` decimal places (unchanged for None),
    as ``format_number(value, decimals=...)`` prints it.

    Example:
        >>> rounded([[0.11, -0.00004], [0.5274723, 2.0]], 3).tolist()
        [[0.11, 0.0], [0.527, 2.0]]
    """
    array = np.array(value, dtype=float)
    if decimals is None:
        return array
    _check_decimals(decimals)
    flat = [_round(float(x), decimals) for x in array.ravel()]
    return np.array(flat, dtype=float).reshape(array.shape)


def _nested(array: np.ndarray, one: Callable[[SupportsFloat], str]) -> str:
    if array.ndim == 0:
        return one(array)
    return "[" + ", ".join(_nested(part, one) for part in array) + "]"


def _elided(array: np.ndarray, one: Callable[[SupportsFloat], str], keep: int = 2) -> str:
    """The first ``keep`` and the last entries of each axis, "..." for the rest."""

    def row(values: np.ndarray) -> str:
        if len(values) <= keep + 1:
            return "[" + ", ".join(one(v) for v in values) + "]"
        return "[" + ", ".join([*(one(v) for v in values[:keep]), "...", one(values[-1])]) + "]"

    if array.ndim == 1:
        return row(array)
    rows = [row(r) for r in array] if len(array) <= keep + 1 else [
        *(row(r) for r in array[:keep]), "...", row(array[-1])]  # fmt: skip
    return "[" + ", ".join(rows) + "]"


def table(rows: Sequence[Sequence[object]], align: str = "l", gap: str = "  ") -> str:
    """Rows of cells as aligned text: each column as wide as its widest cell.

    ``align`` gives each column's alignment, "l" (left) or "r" (right); its last letter
    stands for every further column. Trailing spaces are cut from each line.

    Example:
        >>> print(table([["", "loss", "accuracy"], ["train", "0.25", "1"]], align="lr"))
               loss  accuracy
        train  0.25         1
    """
    cells = [[str(cell) for cell in row] for row in rows]
    if not cells:
        return ""
    columns = max(len(row) for row in cells)
    cells = [row + [""] * (columns - len(row)) for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(columns)]
    sides = [align[min(i, len(align) - 1)] for i in range(columns)]
    for side in sides:
        if side not in "lr":
            raise ValueError(f"align takes 'l' or 'r' per column, got {align!r}")
    lines = [
        gap.join(
            cell.rjust(width) if side == "r" else cell.ljust(width)
            for cell, width, side in zip(row, widths, sides, strict=True)
        ).rstrip()
        for row in cells
    ]
    return "\n".join(lines)
