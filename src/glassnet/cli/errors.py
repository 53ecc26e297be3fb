"""The mistakes the command line recognises, and the exit code of each.

A mistake the user can fix is one line on standard error: exit code 2 for a usage error
(``UsageError``: an unknown option, a bad value, options that do not go together), 1 for
a data error (``DataError``, ``ModelFileError``, ``CommandError``, a file that cannot be
read or written). Anything else is a bug in glassnet: ``glassnet.cli.main`` says so in one
line and exits 3.

These classes live apart from ``glassnet.cli.main`` so that running it as a script
(``python -m glassnet.cli.main``) raises and catches one class, not two copies of it.

Example:
    >>> exit_code(UsageError("--row 9 is past the end")), exit_code(OSError("disk full"))
    (2, 1)
    >>> exit_code(RuntimeError("a bug")) is None
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from glassnet.datasets import DataError
from glassnet.modelfile import ModelFileError

__all__ = ["CommandError", "Terminated", "UsageError", "exit_code", "reported_as_command_error"]


class UsageError(Exception):
    """A command-line mistake: reported in one line, exit code 2.

    Example:
        >>> from glassnet.cli.parser import build_parser
        >>> try:
        ...     build_parser().parse_args(["train"])
        ... except UsageError as error:
        ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
        the following arguments are required: DATA.csv, --target, --out
        (see 'glassnet train --help')
    """


class CommandError(Exception):
    """A command that cannot finish for a reason in the user's data or settings: exit code 1.

    Raised where the CLI itself finds the problem (training that diverged before its first
    epoch ended), or by ``reported_as_command_error`` for a library's refusal of a value
    the user gave.

    Example:
        >>> exit_code(CommandError("training diverged in epoch 1"))
        1
    """


class Terminated(BaseException):
    """A SIGTERM turned into an exception, so that what was being written is cleaned up
    on the way out (``glassnet.files.write_atomically`` removes its temporary file) and
    the command ends with exit code 143 (128 + 15), as a terminated program does.

    A BaseException, like KeyboardInterrupt: no ``except Exception`` swallows it.

    Example:
        >>> issubclass(Terminated, Exception), exit_code(Terminated()) is None
        (False, True)
    """


# The errors of data and files: the message names the file and what is wrong with it.
# MemoryError too: the data or the network asked for more memory than there is.
DATA_ERRORS = (DataError, ModelFileError, CommandError, OSError, MemoryError)


def exit_code(error: BaseException) -> int | None:
    """The exit code of a recognised mistake, or None for an error that is a bug.

    Example:
        >>> exit_code(DataError("data.csv: the file is empty"))
        1
        >>> exit_code(ValueError("not raised about the user's input")) is None
        True
    """
    if isinstance(error, UsageError):
        return 2
    if isinstance(error, DATA_ERRORS):
        return 1
    return None


@contextlib.contextmanager
def reported_as_command_error() -> Iterator[None]:
    """Turn the ValueError of a library call about a value the user gave into a CommandError.

    Only for calls that check the user's values themselves (a picture's file name, the
    columns to draw, a port number): their ValueError says what is wrong in one line.

    Example:
        >>> try:
        ...     with reported_as_command_error():
        ...         raise ValueError("x.jpg: unknown picture format")
        ... except CommandError as error:
        ...     print(error)
        x.jpg: unknown picture format
    """
    try:
        yield
    except (*DATA_ERRORS, UsageError):
        raise
    except ValueError as error:
        raise CommandError(str(error)) from None
