"""The files a command writes: checked before any work, written whole or not at all.

Every output goes through ``glassnet.files.write_atomically``; the checks made before a
command starts (``check_writable``, ``check_distinct``) make sure a long run does not end
in a file that cannot be written, or in one that replaces the data it was made from.
``-`` is standard output for an output and standard input for an input; a device or a
FIFO is written as a stream, never replaced. ``write_together`` puts a model and its
training log in place together, so a log never stays without its model.

Example:
    >>> check_writable("/no/such/folder/model.glassnet")
    Traceback (most recent call last):
    OSError: cannot write /no/such/folder/model.glassnet: the folder /no/such/folder does not exist
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
from collections.abc import Callable
from typing import TextIO

import numpy as np

from glassnet.cli.errors import UsageError
from glassnet.files import STANDARD_OUTPUT, target_kind, write_atomically

__all__ = [
    "check_distinct",
    "check_writable",
    "is_standard_output",
    "write_columns",
    "write_text",
    "write_together",
]


class _Checked(Exception):
    """Raised by ``check_writable``'s writer: the path passed every check, write nothing."""


class _LogFailed(Exception):
    """Carries the log's OSError past the model file's writer, which would rename it."""


def check_writable(path: str) -> None:
    """Fail before any work if ``path`` cannot be written: a missing folder, a folder, a
    socket, a name longer than the file system takes, a folder that refuses new files.

    The checks are those of ``glassnet.files.write_atomically``, made by calling it with a
    writer that creates its temporary file and stops there (the temporary is removed), so
    the two can never disagree. A stream (``-``, a device, a FIFO) is not opened.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     check_writable(folder)
        Traceback (most recent call last):
        OSError: cannot write ...: it is a folder
    """
    kind = target_kind(path)

    def stop(temporary: str) -> None:
        if kind != "stream":
            open(temporary, "x").close()  # noqa: SIM115 - created to see that the folder takes it
        raise _Checked

    try:
        write_atomically(path, stop)
    except _Checked:
        pass


def is_standard_output(path: str | None) -> bool:
    """Whether writing ``path`` writes standard output: ``-``, or a path to it such as
    ``/dev/stdout``.

    Example:
        >>> is_standard_output("-"), is_standard_output("model.glassnet")
        (True, False)
    """
    if not path:
        return False
    if path == STANDARD_OUTPUT:
        return True
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


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
    to_stdout = [(option, path) for option, path in given if is_standard_output(path)]
    if len(to_stdout) > 1:
        (first, path), (second, other) = to_stdout[:2]
        raise UsageError(
            f"{first} {path} and {second} {other} both write standard output; give one of "
            "them a file"
        )
    # Standard input and output, devices and FIFOs are streams, not files to protect.
    given = [(option, path) for option, path in given if _a_file(path)]
    read = {what: path for what, path in inputs.items() if path and path != "-"}
    for index, (option, path) in enumerate(given):
        for other_option, other in given[:index]:
            if _same_file(path, other):
                raise UsageError(
                    f"{option} {path} and {other_option} {other} are the same file; "
                    "give each its own path"
                )
        for description, source in read.items():
            if _same_file(path, source):
                raise UsageError(
                    f"{option} {path} is {description} {source}: writing it would destroy "
                    "that file; choose another path"
                )


def _a_file(path: str) -> bool:
    try:
        return target_kind(path) != "stream"
    except OSError:
        return True  # a folder or a socket: check_writable names it


def write_together(
    path: str,
    write: Callable[[str], None],
    log: str | None,
    write_log: Callable[[str], None],
) -> None:
    """Write ``path`` with ``write(temporary)`` and, when ``log`` is given, the log with
    ``write_log(log)``, so that both are in place or neither is.

    The file is made whole under its temporary name first; the log is then written (whole
    or not at all), and only then is the file renamed into place. If that last step fails
    or is interrupted, the new log is removed again: a log never stays without its file.

    Example:
        >>> import os, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model, log = os.path.join(folder, "m.txt"), os.path.join(folder, "log.csv")
        ...     def fail(temporary):
        ...         raise OSError("disk full")
        ...     try:
        ...         write_together(model, fail, log, lambda p: write_text(p, str))
        ...     except OSError as error:
        ...         print(error, os.listdir(folder))
        cannot write ...m.txt: disk full []
    """
    written = []

    def write_both(temporary: str) -> None:
        write(temporary)
        if log:
            try:
                write_log(log)
            except OSError as error:  # named by the log's own message, not the file's
                raise _LogFailed(error) from None
            written.append(log)

    try:
        write_atomically(path, write_both)
    except _LogFailed as failed:
        raise failed.args[0] from None
    except BaseException:
        for done in written:
            if target_kind(done) == "file":
                with contextlib.suppress(OSError):
                    os.remove(done)
        raise


def write_text(path: str, write: Callable[[TextIO], object]) -> None:
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
