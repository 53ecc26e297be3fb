"""The ``glassnet`` command line: from a CSV file to a trained, saved, inspectable model.

``main`` parses the arguments (``glassnet.cli.parser``), runs the command's ``run_NAME``
function and turns what went wrong into one line on standard error and an exit code:

    0    done
    1    a data error: a missing or malformed CSV, a file that is not a model, a file
         that cannot be written, standard output full or closed, memory that ran out
         (``glassnet.cli.errors``)
    2    a usage error: an unknown option (named with the closest one the command has)
         or name, a bad value such as a negative learning rate, options that do not go
         together
    3    a bug in glassnet: the line names the exception; ``--debug`` shows its traceback
    130  interrupted (Ctrl-C)
    141  the reader of the output closed it early, as ``| head`` does
    143  terminated (SIGTERM): what was being written is removed first

An option's old spelling (``--json``, ``--max-epochs``) works for one release, with a
one-line warning naming the new one (``glassnet.cli.conventions``). When a command fails,
it writes no output file. Everything printed has its control
characters escaped (``glassnet.cli.output.EscapedOutput``); NumPy's floating-point
warnings are not printed (the commands check their numbers and say what went wrong),
and any other warning is one line.

Example:
    >>> main(["demo", "neuron", "--format", "json"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Sequence

import numpy as np

from glassnet.cli.conventions import renamed_warnings
from glassnet.cli.errors import Terminated, exit_code
from glassnet.cli.output import EscapedOutput, printable
from glassnet.cli.parser import build_parser
from glassnet.files import remove_unfinished

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
        _error(f"{_one_line(error)}; {BUG_ADVICE}", prefix="glassnet: internal error: ")
    return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module's docstring).

    Example:
        >>> main(["train", "data.csv", "--target", "y", "--epochs", "0", "--out", "m"])
        2
    """
    if sys.stdout is None:  # started with standard output closed (>&-)
        _error("standard output is closed; send it somewhere (> FILE, or > /dev/null)")
        return 1
    stdout, previous = sys.stdout, _terminate_on_sigterm()
    sys.stdout = output = EscapedOutput(stdout)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = _show_warning
            code = _run(argv)
    finally:
        sys.stdout = stdout
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if output.failed:
        # The rest of what was printed cannot go out either: send it to devnull, so that
        # flushing it when Python exits does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
    return code


def _run(argv: Sequence[str] | None) -> int:
    """Parse, run the command, flush what it printed; every failure to an exit code."""
    args = None
    try:
        args = build_parser().parse_args(argv)
        for warning in renamed_warnings(args):  # shown under --quiet too: the name will go
            _error(warning, prefix="glassnet: warning: ")
        code = args.handler(args)
        sys.stdout.flush()  # a full disk shows here, while the error can still be named
        return code
    except BrokenPipeError:
        # The reader of the output (head, less) has gone. Stop quietly with the code of a
        # program ended by SIGPIPE (128 + 13).
        return 141
    except KeyboardInterrupt:
        _error("interrupted", prefix="glassnet: ")
        return 130
    except Terminated:
        remove_unfinished()  # whatever the signal cut short, wherever it landed
        _error("terminated", prefix="glassnet: ")
        return 143
    except MemoryError as error:
        asked = str(error) or "more memory than this machine has free was asked for"
        _error(f"out of memory: {asked}")
        return 1
    except Exception as error:
        code = exit_code(error)
        if code is None:
            return _report_bug(error, debug=getattr(args, "debug", False))
        _error(str(error))
        return code


def _error(message: str, prefix: str = "glassnet: error: ") -> None:
    print(prefix + printable(" ".join(message.split())), file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line on standard error, without the source line it came from."""
    _error(str(message), prefix="glassnet: warning: ")


def _terminate_on_sigterm():
    """Make SIGTERM raise Terminated, so that clean-ups run; returns the old handler
    (None where no handler can be set: outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def terminate(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one cannot cut the clean-up
        raise Terminated

    return signal.signal(signal.SIGTERM, terminate)


if __name__ == "__main__":
    sys.exit(main())
