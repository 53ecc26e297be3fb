"""The files a command writes: checked before any work, written whole or not at all.

Every output goes through ``glassnet.files.write_atomically``; the checks made before a
command starts (``check_writable``, ``check_distinct``) make sure a long run does not end
in a file that cannot be written, or in one that replaces the data it was made from.

Example:
    >>> check_writable("/no/such/folder/model.glassnet")
    Traceback (most recent call last):
    OSError: cannot write /no/such/folder/model.glassnet: the folder /no/such/folder does not exist
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from typing import TextIO

import numpy as np

from glassnet.cli.errors import UsageError
from glassnet.files import write_atomically

__all__ = ["check_distinct", "check_writable", "write_columns", "write_text"]


class _Checked(Exception):
    """Raised by ``check_writable``'s writer: the path passed every check, write nothing."""


def check_writable(path: str) -> None:
    """Fail before any work if ``path`` cannot be written (a missing folder, a folder).

    The checks are those of ``glassnet.files.write_atomically``, made by calling it with a
    writer that stops before writing, so the two can never disagree.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     check_writable(folder)
        Traceback (most recent call last):
        OSError: cannot write ...: it is a folder
    """

    def stop(temporary: str) -> None:
        raise _Checked

    try:
        write_atomically(path, stop)
    except _Checked:
        pass


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one file: by device and inode when both exist (hard links,
    symbolic links, other spellings), else by the paths with links and ".." resolved."""
    if os.path.exists(first) and os.path.exists(second):
        return os.path.samefile(first, second)
    return os.path.realpath(first) == os.path.realpath(second)


def check_distinct(inputs: dict[str, str | None], outputs: dict[str, str | None]) -> None:
    """Refuse, before any work, an output path that names an input file or another output.

    ``inputs`` maps a description ("the data file") to a path read, ``outputs`` an
    option ("--out") to a path written; None stands for an option not given.

    Example:
        >>> check_distinct({"the data file": "or.csv"}, {"--out": "./or.csv"})
        Traceback (most recent call last):
        glassnet.cli.errors.UsageError: --out ./or.csv is the data file or.csv: writing it ...
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


def write_text(path: str, write: Callable[[TextIO], None]) -> None:
    """Call ``write`` on a new text file that becomes ``path`` only when complete.

    Example:
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = pathlib.Path(folder) / "note.txt"
        ...     write_text(str(path), lambda handle: handle.write("done"))
        ...     path.read_text()
        'done'
    """

    def write_file(temporary: str) -> None:
        with open(temporary, "x", newline="", encoding="utf-8") as handle:
            write(handle)

    write_atomically(path, write_file)


def write_columns(handle: TextIO, header: list[str], columns: list[np.ndarray]) -> None:
    """Write the columns as CSV, formatting a block of rows at a time to bound the memory.

    Each number is written as the shortest text that reads back as the same value.

    Example:
        >>> import sys
        >>> write_columns(sys.stdout, ["y", "P(1)"], [np.array([0, 1]), np.array([0.25, 0.5])])
        y,P(1)
        0,0.25
        1,0.5
    """
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    for start in range(0, len(columns[0]), 8192):
        cells = [column[start : start + 8192].astype(str).tolist() for column in columns]
        writer.writerows(zip(*cells, strict=True))
