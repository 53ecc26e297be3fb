"""The conventions every command follows, in one place: the parser and its shared options.

- No abbreviations: ``--epoch`` is not ``--epochs``. An unknown option is named in one line
  with the closest option of that command (``--targt``: did you mean --target?), before
  argparse would complain about the options missing; exit code 2, as every usage error.
- ``--quiet`` (``-q``) and ``--verbose`` (``-v``) on every command: quiet prints only the
  results (and the warnings and errors), verbose adds detail; each command's ``--help``
  says what they do there.
- One name per idea: ``--format json``, ``--epochs``. An old spelling (``--json``,
  ``--max-epochs``) still works for one release, hidden from ``--help``, and leaves a
  one-line warning saying the new name (shown under ``--quiet`` too: the command will stop
  working when the old name goes).
- ``--delimiter`` on every command that reads CSV files.

Example:
    >>> parser = Parser(prog="glassnet demo")
    >>> add_format(parser, "the numbers")
    >>> args = parser.parse_args(["--json"])
    >>> args.format, renamed_warnings(args)
    ('json', ['--json is renamed --format json; --json goes in the next release'])
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any

from glassnet.cli.errors import UsageError
from glassnet.cli.options import delimiter

__all__ = [
    "Parser",
    "Renamed",
    "add_delimiter",
    "add_format",
    "add_verbosity",
    "renamed_warnings",
]

# What argparse reads as a value rather than an option: "-", "-1", "-0.5,2", "-.5".
_VALUE = re.compile(r"-|-[\d.].*")


class Renamed(argparse.Action):
    """An option's old spelling, kept for one release: hidden from ``--help``, it sets what
    the new spelling sets and records the rename, which ``main`` prints as a warning.

    ``replacement`` is the new spelling as the user would type it (``--format json``).
    With ``nargs=0`` it stores ``const`` (a flag such as ``--json``), else the value.

    Example:
        >>> parser = Parser(prog="glassnet perceptron")
        >>> _ = parser.add_argument("--epochs", type=int, default=100)
        >>> _ = parser.add_argument("--max-epochs", dest="epochs", type=int,
        ...                         action=Renamed, replacement="--epochs")
        >>> args = parser.parse_args(["--max-epochs", "7"])
        >>> args.epochs, args.renamed
        (7, [('--max-epochs', '--epochs')])
    """

    def __init__(self, option_strings: Sequence[str], dest: str, replacement: str,
                 **kwargs: Any) -> None:  # fmt: skip
        kwargs["help"] = argparse.SUPPRESS
        super().__init__(option_strings, dest, **kwargs)
        self.replacement = replacement

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:  # fmt: skip
        """Set the new spelling's value and note that the old one was used.

        Example:
            >>> namespace = argparse.Namespace()
            >>> Renamed(["--json"], "format", "--format json", nargs=0, const="json")(
            ...     None, namespace, [], "--json")
            >>> namespace.format, namespace.renamed
            ('json', [('--json', '--format json')])
        """
        setattr(namespace, self.dest, self.const if self.nargs == 0 else values)
        used = (option_string or self.option_strings[0], self.replacement)
        namespace.renamed = [*getattr(namespace, "renamed", ()), used]


def renamed_warnings(args: argparse.Namespace) -> list[str]:
    """One line for each old spelling the command line used (without the "warning:").

    Example:
        >>> renamed_warnings(argparse.Namespace(renamed=[("--max-epochs", "--epochs")]))
        ['--max-epochs is renamed --epochs; --max-epochs goes in the next release']
    """
    return [
        f"{old} is renamed {new}; {old} goes in the next release"
        for old, new in getattr(args, "renamed", ())
    ]


class Parser(argparse.ArgumentParser):
    """argparse without abbreviations, raising ``UsageError`` instead of exiting (so
    ``main`` reports it in one line, exit code 2), and naming an unknown option with the
    closest one the command has before anything else is checked. ``summary`` is a
    command's line in the list of commands (the completion scripts show it).

    Example:
        >>> parser = Parser(prog="glassnet train")
        >>> _ = parser.add_argument("--target", required=True)
        >>> parser.parse_args(["--targt", "y"])  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        glassnet.cli.errors.UsageError: unknown option --targt; did you mean --target?
        (see 'glassnet train --help')
    """

    def __init__(self, *args: Any, summary: str = "", **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)
        self.summary = summary  # a command's one line in the list of commands

    def error(self, message: str) -> None:  # type: ignore[override]
        """Raise ``message`` as a UsageError that names the command's help.

        Example:
            >>> Parser(prog="glassnet info").error("too many arguments")
            Traceback (most recent call last):
            glassnet.cli.errors.UsageError: too many arguments (see 'glassnet info --help')
        """
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """argparse's parse, after ``check_options`` has looked for unknown options.

        Example:
            >>> Parser(prog="glassnet").parse_known_args([])
            (Namespace(), [])
        """
        arguments = sys.argv[1:] if args is None else list(args)
        self.check_options(arguments)
        return super().parse_known_args(arguments, namespace)

    def check_options(self, arguments: Sequence[str]) -> None:
        """Raise a UsageError for the first option in ``arguments`` this parser does not
        have; a parser with commands checks its own options up to the command, then the
        command's (an unknown command with a close match is named too).

        Example:
            >>> parser = Parser(prog="glassnet train")
            >>> _ = parser.add_argument("--epochs")
            >>> parser.check_options(["--epochs", "3", "-", "-0.5"])
            >>> parser.check_options(["--epoch", "3"])  # doctest: +NORMALIZE_WHITESPACE
            Traceback (most recent call last):
            glassnet.cli.errors.UsageError: unknown option --epoch; did you mean --epochs?
            (see 'glassnet train --help')
        """
        commands = self.commands()
        for index, token in enumerate(arguments):
            if token == "--":
                return
            if not token.startswith("-") or _VALUE.fullmatch(token) or " " in token:
                if commands:  # the rest is the command's
                    self._check_command(token, arguments[index + 1 :])
                    return
                continue
            name = token.split("=", 1)[0] if token.startswith("--") else token
            known = self._option_string_actions
            if name in known or (not token.startswith("--") and token[:2] in known):
                continue  # -qv, -x5: argparse reads them from their first two characters
            raise UsageError(self._unknown(name))

    def _check_command(self, name: str, rest: Sequence[str]) -> None:
        commands = self.commands()
        if name in commands:
            commands[name].check_options(rest)
            return
        close = difflib.get_close_matches(name, list(commands), n=1)
        if close:
            raise UsageError(
                f"unknown command {name!r}; did you mean {close[0]!r}? (see '{self.prog} --help')"
            )
        # argparse then lists the commands

    def _unknown(self, name: str) -> str:
        """The line for an unknown option: the closest option of this parser (an old
        spelling's match is given as its new one), if one is close."""
        spellings = {}
        for action in self._actions:
            new = getattr(action, "replacement", None)
            for option in action.option_strings:
                spellings[option] = new.split()[0] if new else option
        close = difflib.get_close_matches(name, list(spellings), n=1)
        hint = f"; did you mean {spellings[close[0]]}?" if close else ""
        return f"unknown option {name}{hint} (see '{self.prog} --help')"

    def commands(self) -> dict[str, Parser]:
        """The commands of this parser by name ({} for a command's own parser).

        Example:
            >>> from glassnet.cli.parser import build_parser
            >>> list(build_parser().commands())[:3]
            ['demo', 'plot', 'train']
        """
        for action in self._actions:
            if action.nargs == argparse.PARSER and isinstance(action.choices, dict):
                return dict(action.choices)  # the commands: argparse's sub-parsers
        return {}

    def repeatable(self, action: argparse.Action) -> bool:
        """Whether ``action`` may be given many times (``action="append"``).

        Example:
            >>> parser = Parser(prog="glassnet trace")
            >>> parser.repeatable(parser.add_argument("--check", action="append"))
            True
        """
        return isinstance(action, self._registry_get("action", "append"))

    def visible_actions(self) -> list[argparse.Action]:
        """The arguments ``--help`` shows (old spellings and the command list left out).

        Example:
            >>> parser = Parser(prog="glassnet info")
            >>> add_format(parser, "it")
            >>> [action.option_strings for action in parser.visible_actions()]
            [['-h', '--help'], ['--format']]
        """
        return [
            action
            for action in self._actions
            if action.help != argparse.SUPPRESS and action.nargs != argparse.PARSER
        ]


def add_verbosity(parser: argparse.ArgumentParser, quiet: str, verbose: str) -> None:
    """``-q/--quiet`` and ``-v/--verbose`` (not both), with what each does for this command.

    Example:
        >>> parser = Parser(prog="glassnet lessons")
        >>> add_verbosity(parser, "print nothing", "name every file")
        >>> parser.parse_args(["-q"]).quiet, parser.parse_args(["--verbose"]).verbose
        (True, True)
        >>> parser.parse_args(["-q", "-v"])  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        glassnet.cli.errors.UsageError: argument -v/--verbose: not allowed with argument
        -q/--quiet (see 'glassnet lessons --help')
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help=quiet)
    group.add_argument("-v", "--verbose", action="store_true", help=verbose)


def add_format(
    parser: argparse.ArgumentParser,
    what: str,
    formats: Sequence[str] = ("text", "json"),
    help: str | None = None,
) -> None:
    """``--format text|json`` (or ``formats``), and ``--json``, its old spelling.

    Example:
        >>> parser = Parser(prog="glassnet evaluate")
        >>> add_format(parser, "the metrics")
        >>> parser.parse_args([]).format, parser.parse_args(["--format", "json"]).format
        ('text', 'json')
    """
    parser.add_argument("--format", choices=list(formats), default=formats[0],
                        help=help or f"{what} as text for people (default) or as JSON for "
                        "programs")  # fmt: skip
    parser.add_argument("--json", dest="format", action=Renamed, nargs=0, const="json",
                        replacement="--format json")  # fmt: skip


def add_delimiter(parser: argparse.ArgumentParser) -> None:
    """``--delimiter CHAR``: the CSV files' delimiter, when it is not the one found.

    Example:
        >>> parser = Parser(prog="glassnet train")
        >>> add_delimiter(parser)
        >>> parser.parse_args(["--delimiter", "tab"]).delimiter, parser.parse_args([]).delimiter
        ('\\t', None)
    """
    parser.add_argument("--delimiter", type=delimiter, metavar="CHAR",
                        help="the CSV files' delimiter: , or ; or tab (default: found "
                        "from the header and the first rows)")  # fmt: skip
