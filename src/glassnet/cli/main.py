"""The ``glassnet`` command line: from a CSV file to a trained, saved, inspectable model.

``main`` parses the arguments (``glassnet.cli.parser``), runs the command's ``run_NAME``
function and turns what went wrong into one line on standard error and an exit code:

    0    done
    1    a data error: a missing or malformed CSV, a file that is not a model, a file
         that cannot be written (``glassnet.cli.errors``)
    2    a usage error: an unknown option or name, a bad value such as a negative
         learning rate, options that do not go together
    3    a bug in glassnet: the line names the exception; ``--debug`` shows its traceback
    130  interrupted (Ctrl-C, or a kill)
    141  the reader of the output closed it early, as ``| head`` does

When a command fails, it writes no output file.

Example:
    >>> main(["demo", "neuron", "--json"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Sequence

from glassnet.cli.errors import exit_code
from glassnet.cli.parser import build_parser

__all__ = ["main"]

# The words of the one line a bug gets, after the exception's type and message.
BUG_ADVICE = (
    "this is a bug in glassnet; please report it with the command you ran "
    "(run it again with glassnet --debug ... to see the traceback)"
)


def _one_line(error: BaseException, limit: int = 300) -> str:
    """The exception's type and message on one line, cut short when very long."""
    message = " ".join(str(error).split())
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _report_bug(error: Exception, debug: bool) -> int:
    if debug:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
        print("glassnet: this is a bug in glassnet; please report it with the command "
              "you ran and the traceback above", file=sys.stderr)  # fmt: skip
    else:
        print(f"glassnet: internal error: {_one_line(error)}; {BUG_ADVICE}", file=sys.stderr)
    return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module's docstring).

    Example:
        >>> main(["train", "data.csv", "--target", "y", "--epochs", "0", "--out", "m"])
        2
    """
    args = None
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except BrokenPipeError:
        # The reader of the output (head, less) has gone. Stop quietly with the code of a
        # program ended by SIGPIPE (128 + 13); the rest of stdout goes to devnull, so
        # flushing it when Python exits does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("glassnet: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        code = exit_code(error)
        if code is None:
            return _report_bug(error, debug=getattr(args, "debug", False))
        print(f"glassnet: error: {error}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
