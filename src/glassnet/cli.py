"""The ``glassnet`` command line.

Each subcommand is a function ``run_NAME(args) -> int`` registered in ``build_parser``.
Errors the user can fix are one line on standard error: exit code 2 for usage errors,
1 for data errors; never a traceback.

Example:
    >>> main(["demo", "neuron", "--json"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .tutorials import DEMOS, run_demo

__all__ = ["main", "build_parser", "UsageError"]


class UsageError(Exception):
    """A command-line mistake: reported in one line, exit code 2."""


def run_demo_command(args: argparse.Namespace) -> int:
    names = [args.name] if args.name else list(DEMOS)
    demos = [run_demo(name) for name in names]
    if args.json:
        print(json.dumps({demo.name: demo.figures for demo in demos}, indent=2))
        return 0
    for index, demo in enumerate(demos):
        if index:
            print("\n")
        print(demo)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glassnet",
        description="Neural networks that hide nothing: every number of a forward and "
        "backward pass, traced.",
        epilog="Example: glassnet demo neuron",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="reproduce the tutorials as worked examples",
        description="Reproduce the tutorials glassnet grew from, every number printed: "
        + ", ".join(DEMOS)
        + ". With no NAME, all of them.",
        epilog="Example: glassnet demo perceptron-or --json",
    )
    demo.add_argument("name", nargs="?", choices=list(DEMOS), metavar="NAME",
                      help="one of: " + ", ".join(DEMOS))  # fmt: skip
    demo.add_argument("--json", action="store_true", help="print the figures as JSON")
    demo.set_defaults(handler=run_demo_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"glassnet: error: {error}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as error:
        print(f"glassnet: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("glassnet: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
